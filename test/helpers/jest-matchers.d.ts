// @types/jest types its asymmetric matchers (expect.stringMatching(…), expect.any(…)…) as `any`, so
// that every object literal holding one trips the no-unsafe-* rules. Jest's own package (`expect`)
// returns an asymmetric matcher; these overloads (an augmentation, so merged ahead of @types/jest's) say the same.
declare global {
  namespace jest {
    interface Expect {
      anything(): AsymmetricMatcher;
      any(classType: unknown): AsymmetricMatcher;
      arrayContaining<E>(arr: readonly E[]): AsymmetricMatcher;
      closeTo(num: number, numDigits?: number): AsymmetricMatcher;
      objectContaining<E>(obj: E): AsymmetricMatcher;
      stringMatching(str: string | RegExp): AsymmetricMatcher;
      stringContaining(str: string): AsymmetricMatcher;
    }
    interface InverseAsymmetricMatchers {
      arrayContaining<E>(arr: readonly E[]): AsymmetricMatcher;
      objectContaining<E>(obj: E): AsymmetricMatcher;
      stringMatching(str: string | RegExp): AsymmetricMatcher;
      stringContaining(str: string): AsymmetricMatcher;
    }
  }
}

export {};
