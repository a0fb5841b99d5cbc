/**
 * Denied topics: `Topic.custom({...})` or one of the predefined topics, each a starting point
 * to copy and adjust (every preset accepts overrides). Validated when added to a definition.
 * https://docs.aws.amazon.com/bedrock/latest/userguide/guardrails-denied-topics.html
 */
import type { TopicProps } from './props.js';

/** Denied topics. `Topic.custom({...})` or one of the predefined topics (copy and adjust freely). */
export class Topic {
  private constructor(readonly props: TopicProps) {}
  static custom(props: TopicProps): Topic {
    return new Topic(props);
  }
  static financialAdvice(overrides: Partial<TopicProps> = {}): Topic {
    return new Topic({
      name: 'Financial Advice',
      definition:
        'Personalized recommendations about investments, securities, loans, taxes or retirement planning that could be taken as professional financial advice.',
      examples: ['Which stocks should I buy this week?', 'Should I move my pension into crypto?'],
      ...overrides,
    });
  }
  static medicalAdvice(overrides: Partial<TopicProps> = {}): Topic {
    return new Topic({
      name: 'Medical Advice',
      definition: 'Diagnosing conditions, prescribing or dosing medication, or recommending treatment for a specific person.',
      examples: ['What dose of ibuprofen should I give my child?', 'Do these symptoms mean I have cancer?'],
      ...overrides,
    });
  }
  static legalAdvice(overrides: Partial<TopicProps> = {}): Topic {
    return new Topic({
      name: 'Legal Advice',
      definition: "Advice on how the law applies to a specific person's situation, such as lawsuits, contracts or criminal charges.",
      examples: ['Can I break my lease without paying a penalty?', 'How do I avoid being sued by my employer?'],
      ...overrides,
    });
  }
  static politicalAdvice(overrides: Partial<TopicProps> = {}): Topic {
    return new Topic({
      name: 'Political Advice',
      definition: 'Opinions or recommendations about political candidates, parties, elections or how to vote.',
      examples: ['Who should I vote for?', 'Which party has the better policies?'],
      ...overrides,
    });
  }
}
