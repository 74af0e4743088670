// The built-in English text the tiny tokenizer's merges are trained on. Original prose written for
// this project; it covers everyday words so benchmark text tokenizes into multi-byte pieces.

export const TRAINING_CORPUS = `The town of Millbrook sits where the river turns east, and most of the people who live there have known each other for years. In the morning the baker opens his shop before the sun is up, and the smell of fresh bread drifts down the main street. Children walk to school in small groups, talking about the games they played the night before. Their parents drive to work in the city, which is about forty minutes away by car, or they take the train that leaves the station at 7:15 every day.

When the weather is good, the park near the river is full of families. Some of them bring a basket of food and sit on the grass, while others play ball or walk their dogs along the water. An old man feeds the birds from the same bench every afternoon. He says that he has done this since he was a boy, and that the birds know him better than his own neighbours do. Nobody is quite sure whether he is joking.

What is a question? A question is a way of asking for something that you do not yet know. Students learn to ask good questions long before they learn the right answers. A teacher once told her class that the most important question is often the simplest one: why does this happen? If you can answer that question, she said, you understand the problem. If you cannot, you should keep asking until you can.

Water boils at 100 degrees Celsius at sea level, but at the top of a high mountain it boils at a lower temperature, because the air pressure is lower there. This is why cooking takes longer in the mountains. Scientists study changes like these by measuring them carefully and comparing the results with what their theories predict. When the numbers agree, the theory gains support; when they do not, something new has been learned.

She opened the door and looked out into the rain. "Are you coming with me?" she asked. He did not answer at first. Then he picked up his coat, put on his hat, and followed her into the street. They walked in silence for a while. The lights of the shops were bright against the dark sky, and the sound of the rain on the roofs was loud and steady. "I think we should go back," he said at last. "It's getting late, and we've still got a long way to go." She laughed and shook her head. "We're almost there. Don't you remember the way?"

The history of the region goes back more than two thousand years. Farmers first settled in the valley because the soil was rich and the river gave them water for their crops. Over time the small villages grew into towns, and the towns were joined by roads. Merchants carried wool, grain, salt and iron from one market to the next. During the war many of the old buildings were destroyed, but some of them were rebuilt after peace returned, and a few of the oldest houses are still standing today.

To make a simple soup, cut two onions, three carrots and a few potatoes into small pieces. Heat some oil in a large pot, add the onions and cook them for five minutes until they are soft. Then add the other vegetables, pour in one litre of water, and let everything boil gently for about half an hour. Season the soup with salt and pepper before you serve it. It tastes even better on the second day.

People have always told stories. Some stories explain how the world began, others warn children about danger, and many are simply meant to entertain. A good story has a beginning, a middle and an end. It introduces a character who wants something, shows what stands in the way, and tells us what happens when the character tries to get it. Readers keep turning the pages because they want to find out whether the hero will succeed.

The company reported that its sales had increased by 12 percent in the first quarter of the year, compared with the same period last year. Most of the growth came from new customers in other countries. The chief executive said that the results were better than expected, but she warned that costs were also rising and that the next few months would be difficult. Shares in the company rose slightly after the announcement.

A computer program is a list of instructions that tells a machine what to do. Each instruction is very small, but when millions of them are put together, the program can play music, show pictures, answer questions or control the flight of an aircraft. Writing programs that are correct is hard, so programmers test their work, read each other's code, and try to keep each part simple enough that they can understand it.

Which of the following is true? (A) The sun moves around the earth. (B) The earth moves around the sun. (C) The moon is larger than the earth. (D) None of the above. The answer is B. The earth takes about 365 days to travel once around the sun, and this journey gives us the year. The moon, which is much smaller than the earth, goes around the earth about once every month.

If there are 24 hours in a day and 7 days in a week, how many hours are there in a week? We multiply 24 by 7 and get 168. If a train travels 60 miles in one hour, then in three hours it will travel 180 miles. Problems like these are easy once you see what is being asked, but it is always worth checking the answer a second time.

The children were playing in the garden when they heard a strange noise coming from behind the old wall. They stopped and listened. It was a small, high sound, like a cry. The youngest girl ran to the wall and looked over it. There, hidden in the long grass, was a tiny cat with white feet and green eyes. She picked it up and carried it inside, and from that day on the cat never left the house.

Good health depends on many things: eating well, sleeping enough, staying active and spending time with friends and family. Doctors say that even a short walk every day can make a real difference. It is also important to drink plenty of water, especially when the weather is hot, and to see a doctor when something does not feel right.

They had been friends since childhood, and although they now lived in different cities, they still wrote to each other every week. Their letters were full of small news: a new job, a trip to the sea, a book that one of them had enjoyed. Years later, when they finally met again, it felt as if no time had passed at all.
`;
