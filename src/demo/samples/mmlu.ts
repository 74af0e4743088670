// Demo questions in cais/mmlu's schema ({question, subject, choices[4], answer 0-3}) for all 57 subjects,
// generated from a small pool of original questions per category (so each subject has test and dev rows).
import type { Doc } from '../../data/types.js';

export type MmluCategory = 'stem' | 'other' | 'social_sciences' | 'humanities';

/** The 57 MMLU subjects (cais/mmlu configs) and their category, as in lm-eval's mmlu/default YAMLs. */
export const MMLU_SUBJECTS: Readonly<Record<MmluCategory, readonly string[]>> = {
  stem: [
    'abstract_algebra', 'anatomy', 'astronomy', 'college_biology', 'college_chemistry', 'college_computer_science',
    'college_mathematics', 'college_physics', 'computer_security', 'conceptual_physics', 'electrical_engineering',
    'elementary_mathematics', 'high_school_biology', 'high_school_chemistry', 'high_school_computer_science',
    'high_school_mathematics', 'high_school_physics', 'high_school_statistics', 'machine_learning',
  ],
  other: [
    'business_ethics', 'clinical_knowledge', 'college_medicine', 'global_facts', 'human_aging', 'management',
    'marketing', 'medical_genetics', 'miscellaneous', 'nutrition', 'professional_accounting',
    'professional_medicine', 'virology',
  ],
  social_sciences: [
    'econometrics', 'high_school_geography', 'high_school_government_and_politics', 'high_school_macroeconomics',
    'high_school_microeconomics', 'high_school_psychology', 'human_sexuality', 'professional_psychology',
    'public_relations', 'security_studies', 'sociology', 'us_foreign_policy',
  ],
  humanities: [
    'formal_logic', 'high_school_european_history', 'high_school_us_history', 'high_school_world_history',
    'international_law', 'jurisprudence', 'logical_fallacies', 'moral_disputes', 'moral_scenarios', 'philosophy',
    'prehistory', 'professional_law', 'world_religions',
  ],
};

/** question, the correct choice, then three wrong ones */
type PoolItem = [question: string, correct: string, ...wrong: [string, string, string]];

const POOLS: Readonly<Record<MmluCategory, readonly PoolItem[]>> = {
  stem: [
    ['What is 12 multiplied by 11?', '132', '121', '122', '144'],
    ['Which gas do plants take in from the air to make sugar?', 'Carbon dioxide', 'Oxygen', 'Nitrogen', 'Helium'],
    ['How many sides does a hexagon have?', '6', '5', '7', '8'],
    ['Which planet is closest to the Sun?', 'Mercury', 'Venus', 'Earth', 'Mars'],
    ['What is the derivative of x^2 with respect to x?', '2x', 'x', 'x^2', '2'],
    ['Water boils at sea level at what temperature in degrees Celsius?', '100', '90', '80', '120'],
    ['In binary, what is the decimal value of 101?', '5', '3', '6', '101'],
    ['Which organ pumps blood through the human body?', 'The heart', 'The liver', 'The lungs', 'The kidneys'],
    ['What is the unit of electrical resistance?', 'Ohm', 'Volt', 'Ampere', 'Watt'],
    ['If a fair coin is tossed twice, what is the probability of two heads?', '1/4', '1/2', '1/3', '3/4'],
  ],
  other: [
    ['Which vitamin does the body make when skin is exposed to sunlight?', 'Vitamin D', 'Vitamin C', 'Vitamin A', 'Vitamin K'],
    ['What is the main purpose of a company budget?', 'To plan income and spending', 'To hire new staff', 'To set product prices', 'To design a logo'],
    ['Roughly how many bones are in the adult human skeleton?', '206', '106', '306', '156'],
    ['Which of these is a common symptom of dehydration?', 'Thirst', 'Sneezing', 'Itchy eyes', 'Hiccups'],
    ['In accounting, what do assets minus liabilities equal?', 'Equity', 'Revenue', 'Expenses', 'Cash flow'],
    ['Which food group is the main source of protein?', 'Beans, meat and fish', 'Fruit', 'Leafy greens', 'Sugar'],
    ['What does a vaccine mainly train?', 'The immune system', 'The nervous system', 'The digestive system', 'The skeleton'],
    ['Which continent has the most people?', 'Asia', 'Africa', 'Europe', 'Oceania'],
    ['What is the term for a product offered at a lower price for a short time?', 'A sale', 'A patent', 'A merger', 'A dividend'],
    ['How many chromosomes does a typical human body cell contain?', '46', '23', '44', '48'],
  ],
  social_sciences: [
    ['What usually happens to demand for a good when its price rises?', 'It falls', 'It rises', 'It stays the same', 'It doubles'],
    ['What is the name for a general rise in prices over time?', 'Inflation', 'Deflation', 'Recession', 'Taxation'],
    ['Which river flows through Cairo?', 'The Nile', 'The Amazon', 'The Danube', 'The Thames'],
    ['In psychology, what is the term for learning by watching others?', 'Observational learning', 'Classical conditioning', 'Habituation', 'Imprinting'],
    ['Which branch of government makes laws in most democracies?', 'The legislature', 'The judiciary', 'The police', 'The army'],
    ['What does GDP measure?', 'The value of goods and services produced', 'The number of people employed', 'The national debt', 'The price of gold'],
    ['Which of these is a primary colour of light?', 'Green', 'Yellow', 'Purple', 'Orange'],
    ['What is an agreement between two or more countries called?', 'A treaty', 'A census', 'A tariff', 'A ballot'],
    ['Which line divides the Earth into the Northern and Southern Hemispheres?', 'The equator', 'The prime meridian', 'The Tropic of Cancer', 'The date line'],
    ['What is the study of human societies and relationships called?', 'Sociology', 'Geology', 'Botany', 'Astronomy'],
  ],
  humanities: [
    ['If all cats are animals and Tom is a cat, what follows?', 'Tom is an animal', 'Tom is not an animal', 'All animals are cats', 'Nothing follows'],
    ['Attacking the person instead of the argument is which fallacy?', 'Ad hominem', 'Straw man', 'Slippery slope', 'False dilemma'],
    ['Which ancient civilisation built the pyramids at Giza?', 'The Egyptians', 'The Romans', 'The Vikings', 'The Aztecs'],
    ['In a trial, who usually decides questions of law?', 'The judge', 'The witness', 'The jury clerk', 'The defendant'],
    ['The printing press with movable type spread in Europe in which century?', 'The fifteenth', 'The tenth', 'The eighteenth', 'The twentieth'],
    ['Which branch of philosophy studies right and wrong?', 'Ethics', 'Logic', 'Aesthetics', 'Metaphysics'],
    ['What is a promise that the law will enforce called?', 'A contract', 'A tort', 'A verdict', 'A statute'],
    ['Which of these is a holy book of Islam?', 'The Quran', 'The Vedas', 'The Torah', 'The Tripitaka'],
    ['What did people of the Stone Age mainly use to make tools?', 'Stone', 'Iron', 'Plastic', 'Bronze'],
    ['If it is raining, the street is wet. The street is not wet. What follows?', 'It is not raining', 'It is raining', 'The street is dry and raining', 'Nothing follows'],
  ],
};

/** cais/mmlu has five dev (few-shot) questions per subject. */
const DEV_PER_SUBJECT = 5;

/** Inserts the correct choice at index `answer` among the wrong ones. */
function mmluDoc(item: PoolItem, subject: string, answer: number): Doc {
  const [question, correct, ...wrong] = item;
  const choices = [...wrong];
  choices.splice(answer, 0, correct);
  return { question, subject, choices, answer };
}

export interface MmluSubjectSplits {
  subject: string;
  category: MmluCategory;
  test: Doc[];
  dev: Doc[];
}

/** Every subject's test and dev rows; test and dev questions of one subject never overlap. */
export function mmluSampleSplits(): MmluSubjectSplits[] {
  const out: MmluSubjectSplits[] = [];
  for (const category of Object.keys(MMLU_SUBJECTS) as MmluCategory[]) {
    const pool = POOLS[category];
    MMLU_SUBJECTS[category].forEach((subject, k) => {
      // 1 or 2 test rows, so the size-weighted group averages see unequal weights
      const nTest = 1 + (k % 2);
      const start = (k * 3) % pool.length;
      const pick = (j: number): Doc => mmluDoc(pool[(start + j) % pool.length]!, subject, (k + j) % 4);
      const test = Array.from({ length: nTest }, (_, j) => pick(j));
      const dev = Array.from({ length: DEV_PER_SUBJECT }, (_, j) => pick(nTest + j));
      out.push({ subject, category, test, dev });
    });
  }
  return out;
}
