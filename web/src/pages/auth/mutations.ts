// The mutations that start a session (each answers with tokens that session.ts keeps), and the
// one-time codes that must reach the person before a sign-up or a claim.
import { gql } from 'urql';
import type { Tokens } from '../../session';
import type { CodeSent } from '../../ui/codes';

export const SIGN_IN = gql<{ signIn: Tokens }, { input: { login: string; password: string } }>`
  mutation SignIn($input: SignInInput!) {
    signIn(input: $input) { accessToken refreshToken accessTokenExpiresAt }
  }
`;

export interface SignUpMerchantInput {
  email: string;
  emailCode: string;
  password: string;
  displayName: string;
  merchantName: string;
  category: string;
  city: string;
}

export const SEND_SIGN_UP_CODE = gql<{ sent: CodeSent }, { email: string }>`
  mutation SendSignUpCode($email: String!) {
    sent: sendSignUpCode(email: $email) { expiresAt resendAfter }
  }
`;

export const SIGN_UP_MERCHANT = gql<{ signUpMerchant: Tokens }, { input: SignUpMerchantInput }>`
  mutation SignUpMerchant($input: SignUpMerchantInput!) {
    signUpMerchant(input: $input) { accessToken refreshToken accessTokenExpiresAt }
  }
`;

/** The code goes to the phone on the shop's record of the invited customer, never to one typed here. */
export const SEND_CLAIM_CODE = gql<{ sent: CodeSent }, { inviteCode: string }>`
  mutation SendClaimCode($inviteCode: String!) {
    sent: sendPhoneCode(input: { purpose: CLAIM_INVITE, inviteCode: $inviteCode }) { expiresAt resendAfter }
  }
`;

export const CLAIM_CUSTOMER_INVITE = gql<{ claimCustomerInvite: Tokens }, { input: { code: string; phoneCode: string; password: string } }>`
  mutation ClaimCustomerInvite($input: ClaimCustomerInviteInput!) {
    claimCustomerInvite(input: $input) { accessToken refreshToken accessTokenExpiresAt }
  }
`;
