// The mutations that start a session; each answers with tokens that session.ts keeps.
import { gql } from 'urql';
import type { Tokens } from '../../session';

export const SIGN_IN = gql<{ signIn: Tokens }, { input: { login: string; password: string } }>`
  mutation SignIn($input: SignInInput!) {
    signIn(input: $input) { accessToken refreshToken accessTokenExpiresAt }
  }
`;

export interface SignUpMerchantInput {
  email: string;
  password: string;
  displayName: string;
  merchantName: string;
  category: string;
  city: string;
}

export const SIGN_UP_MERCHANT = gql<{ signUpMerchant: Tokens }, { input: SignUpMerchantInput }>`
  mutation SignUpMerchant($input: SignUpMerchantInput!) {
    signUpMerchant(input: $input) { accessToken refreshToken accessTokenExpiresAt }
  }
`;

export const CLAIM_CUSTOMER_INVITE = gql<{ claimCustomerInvite: Tokens }, { input: { code: string; password: string } }>`
  mutation ClaimCustomerInvite($input: ClaimCustomerInviteInput!) {
    claimCustomerInvite(input: $input) { accessToken refreshToken accessTokenExpiresAt }
  }
`;
