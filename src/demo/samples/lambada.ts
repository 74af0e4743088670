// Demo passages in EleutherAI/lambada_openai's schema ({text}), written for yardstick: each one's
// last word is predictable from the passage, the property the task measures.
import type { Doc } from '../../data/types.js';

const PASSAGES: readonly string[] = [
  'Mara had packed the tent, the stove and three days of food, but at the trailhead she realised she had left the map on the kitchen table. Without the map she would have to follow the river, so she turned toward the sound of the river',
  'The old clock in the hall had stopped at a quarter past nine. Every visitor asked about it, and every time Grandpa smiled and said he liked a house where time stood still. Nobody was allowed to wind the clock',
  '"Pass me the salt," said Tomas, reaching across the table. His sister slid the pepper toward him instead, grinning. He sighed, pushed it back and asked once more for the salt',
  'The lighthouse keeper climbed the spiral stairs every evening at dusk. On the night of the storm the lamp failed, and for the first time in forty years the coast was dark. By morning he had repaired the lamp',
  'Priya trained for the marathon through a cold, wet winter. On race day her legs felt heavy at mile twenty, but she thought of all those early mornings and kept going until she crossed the finish line. She had finished the marathon',
  'The baker opened his shop at five every morning. By six the queue reached the corner, because everyone in town knew that the first loaves out of the oven were the best bread',
  'When the power went out, Leo lit a candle and carried it from room to room looking for the torch. He finally found it in the drawer under the sink, next to a spare candle',
  'The kitten had climbed to the top of the oak and now refused to come down. Anna stood below with a saucer of milk, calling softly, while the neighbours fetched a ladder. Ten minutes later she was holding the kitten',
  'Every Saturday the two brothers played chess in the park. Samuel always opened with the same move, and Daniel always complained about it, but he had not beaten Samuel at chess',
  'The letter had been written in blue ink on thin paper, and the address was almost unreadable. Still, the postman recognised the handwriting at once and delivered the letter',
  'After the flood, the villagers worked for weeks to rebuild the bridge. When the last plank was nailed down, the children were the first to run across the bridge',
  'The recipe called for two eggs, a cup of flour and a pinch of salt. Olga had flour and salt, but when she opened the fridge she found that she had run out of eggs',
  'The orchestra tuned their instruments while the audience settled. Then the conductor raised his baton, the hall fell silent, and the first notes of the symphony rose from the orchestra',
  'Jonas had lost his keys three times that month. His wife finally bought him a small hook by the front door and a bright red ring for his keys',
  'The farmer checked the sky, smelled the air and decided to bring the hay in before evening. He was right: just after sunset the first drops of rain began to fall, and soon it was pouring rain',
  'At the museum, the guide pointed to a small painting in a plain frame. It was worth more than the rest of the gallery together, she said, and people crowded around the painting',
  'The train was forty minutes late, and the platform was full of tired commuters. When it finally pulled in, everyone pushed forward at once to board the train',
  'Ravi planted the seeds in April and watered them every evening. By August the garden was full of tomatoes, beans and squash, more than his family could eat, so he shared the vegetables',
  'The students had studied all week for the chemistry exam. When the teacher handed out the papers, Mei read the first question, smiled, and picked up her pencil. She knew she would pass the exam',
  'Snow had fallen all night, and the road to the village was closed. The children did not mind at all: they spent the whole morning building a fort out of snow',
];

export const LAMBADA_TEST: Doc[] = PASSAGES.map((text) => ({ text }));
