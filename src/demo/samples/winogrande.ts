// Demo sentences in allenai/winogrande's schema (sentence with one `_`, option1, option2, answer "1"/"2"),
// written for yardstick in the style of the benchmark: the blank is resolved by common sense.
import type { Doc } from '../../data/types.js';

type Item = [sentence: string, option1: string, option2: string, answer: '1' | '2'];

const toDocs = (items: readonly Item[]): Doc[] =>
  items.map(([sentence, option1, option2, answer]) => ({ sentence, option1, option2, answer }));

export const WINOGRANDE_VALIDATION: Doc[] = toDocs([
  ['The bottle would not fit in the lunch box because the _ was too tall.', 'bottle', 'lunch box', '1'],
  ['The bottle would not fit in the lunch box because the _ was too small.', 'bottle', 'lunch box', '2'],
  ['Nadia lent her bike to Karen because _ had a flat tyre on her own.', 'Nadia', 'Karen', '2'],
  ['Nadia lent her bike to Karen because _ was not going to ride that day.', 'Nadia', 'Karen', '1'],
  ['The soup was colder than the tea, so Ben heated the _ first.', 'soup', 'tea', '1'],
  ['The ice melted faster on the pavement than on the grass because the _ was in the sun.', 'pavement', 'grass', '1'],
  ['Omar could not lift the box that Felix carried easily, because _ was weaker.', 'Omar', 'Felix', '1'],
  ['The candle lasted longer than the match because the _ had more wax.', 'candle', 'match', '1'],
  ['Lucy asked Hana for directions because _ had lived in the city for years.', 'Lucy', 'Hana', '2'],
  ['The blanket was warmer than the sheet because the _ was made of thick wool.', 'blanket', 'sheet', '1'],
]);

export const WINOGRANDE_TRAIN: Doc[] = toDocs([
  ['The dog chased the cat up the tree, but the _ could not climb after it.', 'dog', 'cat', '1'],
  ['Maria always beats Elena at tennis because _ practises every day.', 'Maria', 'Elena', '1'],
  ['The glass broke when it fell on the tiles, but the cup did not, because the _ was plastic.', 'glass', 'cup', '2'],
  ['Sam took the umbrella instead of the hat because the _ would keep him dry.', 'umbrella', 'hat', '1'],
  ['The river was easier to cross than the lake because the _ was shallow.', 'river', 'lake', '1'],
]);
