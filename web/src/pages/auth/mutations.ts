// The mutations that start a session (each answers with tokens that session.ts keeps), and the
// one-time codes that must reach the person before a sign-up or a claim.
import { graphql } from '../../graphql';
import { TokenFields } from '../../session';
import { CodeSentFields } from '../../ui/codes';

export const SIGN_IN = graphql(
  `
  mutation SignIn($input: SignInInput!) {
    signIn(input: $input) { ...TokenFields }
  }
`,
  [TokenFields],
);


export const SEND_SIGN_UP_CODE = graphql(
  `
  mutation SendSignUpCode($email: String!) {
    sent: sendSignUpCode(email: $email) { ...CodeSentFields }
  }
`,
  [CodeSentFields],
);

export const SIGN_UP_MERCHANT = graphql(
  `
  mutation SignUpMerchant($input: SignUpMerchantInput!) {
    signUpMerchant(input: $input) { ...TokenFields }
  }
`,
  [TokenFields],
);

/** The code goes to the phone on the shop's record of the invited customer, never to one typed here. */
export const SEND_CLAIM_CODE = graphql(
  `
  mutation SendClaimCode($inviteCode: String!) {
    sent: sendPhoneCode(input: { purpose: CLAIM_INVITE, inviteCode: $inviteCode }) { ...CodeSentFields }
  }
`,
  [CodeSentFields],
);

export const CLAIM_CUSTOMER_INVITE = graphql(
  `
  mutation ClaimCustomerInvite($input: ClaimCustomerInviteInput!) {
    claimCustomerInvite(input: $input) { ...TokenFields }
  }
`,
  [TokenFields],
);
