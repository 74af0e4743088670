// Demo rows in nyu-mll/glue's schema (per-config columns, integer labels, `idx`), written for yardstick.
// Label ids follow each GLUE config: cola 0 unacceptable/1 acceptable; mnli 0 entailment/1 neutral/
// 2 contradiction; mrpc, qqp 1 = same meaning; qnli, rte 0 = entailment; sst2 1 = positive; wnli 1 = entailment.
import type { Doc } from '../../data/types.js';

/** Builds rows with the config's columns in HF order, numbering `idx` from 0 as GLUE does per split. */
function rows(columns: readonly string[], items: ReadonlyArray<readonly (string | number)[]>): Doc[] {
  return items.map((values, idx) => {
    const doc: Doc = {};
    columns.forEach((c, i) => (doc[c] = values[i]));
    doc.idx = idx;
    return doc;
  });
}

const SENTENCE = ['sentence', 'label'] as const;
const PAIR = ['sentence1', 'sentence2', 'label'] as const;
const NLI = ['premise', 'hypothesis', 'label'] as const;

export interface GlueSplits {
  /** split name → rows */
  [split: string]: Doc[];
}

export const GLUE: Record<string, GlueSplits> = {
  cola: {
    validation: rows(SENTENCE, [
      ['The children are playing in the garden.', 1],
      ['The children is play garden in the.', 0],
      ['She gave the book to her brother.', 1],
      ['Him gave she the book.', 0],
      ['We will leave as soon as the rain stops.', 1],
      ['The rain stops soon as we will leave as.', 0],
    ]),
    train: rows(SENTENCE, [
      ['The cat slept on the warm windowsill.', 1],
      ['Slept the on cat windowsill warm.', 0],
      ['Nobody knew where the key had gone.', 1],
    ]),
  },
  mnli: {
    validation_matched: rows(NLI, [
      ['A man in a red coat is walking his dog along the beach.', 'A man is outside with an animal.', 0],
      ['A man in a red coat is walking his dog along the beach.', 'The man is sitting at home watching television', 2],
      ['Two women are sharing a pot of tea in a small cafe.', 'The women are old friends.', 1],
      ['The museum closes at six on weekdays and at eight on Saturdays.', 'The museum is open later on Saturdays.', 0],
      ['A boy is repairing the chain of his bicycle.', 'The bicycle belongs to his father ', 1],
    ]),
    validation_mismatched: rows(NLI, [
      ['The report says sales rose by ten percent in the second quarter.', 'Sales went up in the second quarter.', 0],
      ['The report says sales rose by ten percent in the second quarter.', 'Sales fell sharply in the second quarter.', 2],
      ['Please submit the form before the end of the month.', 'The form has a deadline.', 0],
      ['The hotel lobby was crowded with tourists from many countries.', 'The tourists were waiting for a bus.', 1],
      ['Our flight was delayed by two hours because of fog.', 'The flight left exactly on time', 2],
    ]),
    train: rows(NLI, [
      ['A girl is reading a book under a tree.', 'A girl is outdoors.', 0],
      ['A girl is reading a book under a tree.', 'The girl is swimming.', 2],
      ['The chef is slicing onions in a busy kitchen.', 'The chef is preparing soup.', 1],
    ]),
  },
  mrpc: {
    validation: rows(PAIR, [
      ['The company reported a profit of two million dollars last year.', 'Last year the company made a profit of two million dollars.', 1],
      ['The bridge will be closed for repairs until March.', 'The bridge reopened to traffic in January.', 0],
      ['Officials said the new park would open in the spring.', 'The new park is expected to open in spring, officials said.', 1],
      ['The team won its third match in a row on Sunday.', 'The coach announced his retirement on Sunday.', 0],
      ['Heavy snow forced the school to close for two days.', 'The school was shut for two days because of heavy snowfall.', 1],
      ['The author signed copies of her book at the library.', 'The library will extend its opening hours next week.', 0],
    ]),
    train: rows(PAIR, [
      ['The mayor opened the new hospital on Friday.', 'On Friday the new hospital was opened by the mayor.', 1],
      ['Prices rose sharply in the spring.', 'The festival attracted thousands of visitors.', 0],
      ['The museum received a large donation.', 'A large gift was made to the museum.', 1],
    ]),
  },
  qnli: {
    validation: rows(['question', 'sentence', 'label'], [
      ['What colour is the sky on a clear day?', 'On a clear day the sky appears blue because air scatters blue light more than red light.', 0],
      ['How many legs does a spider have?', 'Spiders build webs from silk produced by special glands.', 1],
      ['When does the library open?', 'The library opens at nine in the morning from Monday to Saturday.', 0],
      ['Who painted the mural in the town hall?', 'The town hall was built in the nineteenth century from local stone.', 1],
      ['What do bees collect from flowers?', 'Bees collect nectar and pollen from flowers to feed their colony.', 0],
      ['Where does the river begin?', 'The river is popular with anglers during the summer months.', 1],
    ]),
    train: rows(['question', 'sentence', 'label'], [
      ['What is the capital of the region?', 'The capital of the region is a small port town on the coast.', 0],
      ['How tall is the tower?', 'The tower is painted white every ten years.', 1],
      ['What do cows eat?', 'Cows mostly eat grass and hay.', 0],
    ]),
  },
  qqp: {
    validation: rows(['question1', 'question2', 'label'], [
      ['How do I learn to play the guitar?', 'What is the best way to learn guitar?', 1],
      ['How do I learn to play the guitar?', 'How much does a new piano cost?', 0],
      ['What is the fastest way to lose weight?', 'How can I lose weight quickly?', 1],
      ['Why is the sea salty?', 'Why do cats purr?', 0],
      ['How can I improve my handwriting?', 'What can I do to make my handwriting better?', 1],
      ['What should I pack for a beach holiday?', 'How do I change a car tyre?', 0],
    ]),
    train: rows(['question1', 'question2', 'label'], [
      ['How do I bake bread at home?', 'What is an easy way to make bread at home?', 1],
      ['Is coffee bad for you?', 'Where can I buy cheap flights?', 0],
      ['How do I fall asleep faster?', 'What helps you get to sleep quickly?', 1],
    ]),
  },
  rte: {
    validation: rows(PAIR, [
      ['The festival, held every August, draws musicians from across the country.', 'The festival takes place in August.', 0],
      ['The festival, held every August, draws musicians from across the country.', 'The festival is held in winter.', 1],
      ['The factory employs three hundred people and produces bicycle parts.', 'The factory makes bicycle parts.', 0],
      ['The new law was approved by parliament on Tuesday.', 'The law was rejected by parliament.', 1],
      ['Doctors recommend drinking water regularly during hot weather.', 'Drinking water is advised in hot weather.', 0],
      ['The shop sells fresh fruit and vegetables from local farms.', 'The shop sells only frozen food.', 1],
    ]),
    train: rows(PAIR, [
      ['The river flows through three towns before reaching the sea.', 'The river reaches the sea.', 0],
      ['The concert was cancelled because of the storm.', 'The concert went ahead as planned.', 1],
      ['Anna has worked at the bank for ten years.', 'Anna works at a bank.', 0],
    ]),
  },
  sst2: {
    validation: rows(SENTENCE, [
      ['a warm, funny and beautifully acted film ', 1],
      ['the plot is dull and the jokes fall flat ', 0],
      ['one of the most moving stories of the year ', 1],
      ['a tedious, overlong mess ', 0],
      ['charming from start to finish ', 1],
      ['i wanted my two hours back ', 0],
    ]),
    train: rows(SENTENCE, [
      ['a delightful surprise ', 1],
      ['boring and predictable ', 0],
      ['the cast is wonderful ', 1],
    ]),
  },
  wnli: {
    validation: rows(PAIR, [
      ['The piano would not go through the doorway because it was too wide.', 'The piano was too wide.', 1],
      ['The piano would not go through the doorway because it was too wide.', 'The doorway was too wide.', 0],
      ['Jane thanked Mary because she had helped her move house.', 'Mary had helped Jane move house.', 1],
      ['Jane thanked Mary because she had helped her move house.', 'Jane had helped Mary move house.', 0],
    ]),
    train: rows(PAIR, [
      ['The ball hit the window and it broke.', 'The window broke.', 1],
      ['The ball hit the window and it broke.', 'The ball broke.', 0],
      ['Tom called Bill because he wanted to talk.', 'Tom wanted to talk.', 1],
    ]),
  },
};
