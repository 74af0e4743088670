// Demo problems in EleutherAI/hendrycks_math's schema ({problem, level, type, solution}), written for
// yardstick; every solution ends in \boxed{...}, which the task's process_docs extracts as the answer.
import type { Doc } from '../../data/types.js';

type Problem = [problem: string, level: number, solution: string];

export interface MathSubset {
  /** HF config (lm-eval dataset_name) */
  config: string;
  /** the `type` column as MATH spells it */
  type: string;
  test: Doc[];
  train: Doc[];
}

function subset(config: string, type: string, test: readonly Problem[], train: readonly Problem[]): MathSubset {
  const docs = (items: readonly Problem[]): Doc[] =>
    items.map(([problem, level, solution]) => ({ problem, level: `Level ${level}`, type, solution }));
  return { config, type, test: docs(test), train: docs(train) };
}

export const MATH_SUBSETS: readonly MathSubset[] = [
  subset(
    'algebra',
    'Algebra',
    [
      ['Solve for $x$: $3x + 5 = 20$.', 1, 'Subtracting 5 gives $3x = 15$, so $x = \\boxed{5}$.'],
      ['What is the slope of the line $y = 4x - 7$?', 2, 'The line is in slope-intercept form, so the slope is $\\boxed{4}$.'],
    ],
    [
      ['Solve for $y$: $2y - 3 = 9$.', 1, 'Adding 3 gives $2y = 12$, so $y = \\boxed{6}$.'],
      ['Evaluate $a^2 + b$ when $a = 3$ and $b = 4$.', 1, 'We get $9 + 4 = \\boxed{13}$.'],
    ],
  ),
  subset(
    'counting_and_probability',
    'Counting & Probability',
    [
      ['In how many ways can 3 different books be arranged on a shelf?', 1, 'There are $3! = \\boxed{6}$ arrangements.'],
      ['A fair six-sided die is rolled once. What is the probability of rolling an even number? Express your answer as a common fraction.', 2, 'Three of the six faces are even, so the probability is $\\frac{3}{6} = \\boxed{\\frac{1}{2}}$.'],
    ],
    [
      ['How many two-letter strings can be made from the letters A, B and C if letters may repeat?', 2, 'Each position has 3 choices, so there are $3^2 = \\boxed{9}$ strings.'],
      ['Compute $\\binom{5}{2}$.', 1, '$\\binom{5}{2} = \\frac{5 \\cdot 4}{2} = \\boxed{10}$.'],
    ],
  ),
  subset(
    'geometry',
    'Geometry',
    [
      ['A rectangle has length 8 and width 5. What is its area?', 1, 'The area is $8 \\cdot 5 = \\boxed{40}$.'],
      ['Two angles of a triangle measure $50^\\circ$ and $60^\\circ$. How many degrees are in the third angle?', 1, 'The angles sum to $180^\\circ$, so the third is $180 - 110 = \\boxed{70}$ degrees.'],
    ],
    [
      ['A square has perimeter 24. What is its side length?', 1, 'Each of the four sides is $24/4 = \\boxed{6}$.'],
      ['A right triangle has legs 6 and 8. What is the length of its hypotenuse?', 2, 'By the Pythagorean theorem the hypotenuse is $\\sqrt{36 + 64} = \\boxed{10}$.'],
    ],
  ),
  subset(
    'intermediate_algebra',
    'Intermediate Algebra',
    [
      ['Find the sum of the roots of $x^2 - 7x + 10 = 0$.', 2, 'By Vieta\'s formulas the sum of the roots is $\\boxed{7}$.'],
      ['If $f(x) = 2x + 1$, what is $f(f(1))$?', 2, 'We have $f(1) = 3$ and $f(3) = \\boxed{7}$.'],
    ],
    [
      ['Find the product of the roots of $x^2 + 3x - 10 = 0$.', 2, 'By Vieta\'s formulas the product is $\\boxed{-10}$.'],
      ['Compute $\\log_2 32$.', 1, 'Since $2^5 = 32$, the answer is $\\boxed{5}$.'],
    ],
  ),
  subset(
    'number_theory',
    'Number Theory',
    [
      ['What is the remainder when 47 is divided by 5?', 1, 'Since $47 = 9 \\cdot 5 + 2$, the remainder is $\\boxed{2}$.'],
      ['What is the greatest common divisor of 18 and 24?', 1, 'The common divisors are 1, 2, 3 and 6, so the answer is $\\boxed{6}$.'],
    ],
    [
      ['What is the smallest prime number greater than 20?', 1, '21 and 22 are composite, so the answer is $\\boxed{23}$.'],
      ['What is the least common multiple of 4 and 6?', 1, 'The multiples of 6 are 6, 12, ...; 12 is the first divisible by 4, so the answer is $\\boxed{12}$.'],
    ],
  ),
  subset(
    'prealgebra',
    'Prealgebra',
    [
      ['What is $15\\%$ of 60?', 1, '$0.15 \\cdot 60 = \\boxed{9}$.'],
      ['Simplify $\\frac{12}{16}$.', 1, 'Dividing top and bottom by 4 gives $\\boxed{\\frac{3}{4}}$.'],
    ],
    [
      ['What is $7 + 8 \\cdot 2$?', 1, 'Multiplication comes first: $7 + 16 = \\boxed{23}$.'],
      ['Round 3.76 to the nearest tenth.', 1, 'The hundredths digit is 6, so we round up to $\\boxed{3.8}$.'],
    ],
  ),
  subset(
    'precalculus',
    'Precalculus',
    [
      ['Compute $\\cos 0$.', 1, 'The cosine of 0 is $\\boxed{1}$.'],
      ['Compute $\\sin \\frac{\\pi}{2}$.', 1, 'The point at angle $\\frac{\\pi}{2}$ on the unit circle is $(0,1)$, so the answer is $\\boxed{1}$.'],
    ],
    [
      ['Compute the determinant of the matrix with rows $(1, 2)$ and $(3, 4)$.', 2, 'The determinant is $1 \\cdot 4 - 2 \\cdot 3 = \\boxed{-2}$.'],
      ['Convert $180^\\circ$ to radians.', 1, 'Since $180^\\circ = \\pi$ radians, the answer is $\\boxed{\\pi}$.'],
    ],
  ),
];
