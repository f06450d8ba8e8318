/**
 * Text material for `kws synth`: words for the `_unknown_` class (look-alikes of common command
 * words plus frequent English words) and sentences for babble and speech-like background.
 * Anything that equals a chosen keyword is filtered out by `unknownWordsFor`.
 */

/**
 * Words pronounced exactly like a keyword. They must never be `_unknown_` examples: the same sound
 * labelled both ways teaches the model that the keyword itself is a non-keyword (with "know" and
 * "write" among the negatives, "no" and "right" lost most of their recall).
 */
export const HOMOPHONES: Record<string, string[]> = {
  no: ['know'],
  right: ['write', 'rite', 'wright'],
  on: ['ahn'],
};

/** Words that sound like the Speech Commands keywords (and a few more command words). */
export const SOUND_ALIKES: Record<string, string[]> = {
  yes: ['yet', 'yeah', 'yell', 'less', 'guess', 'chess', 'mess', 'yesterday', 'yep', 'bless'],
  no: ['now', 'note', 'nose', 'snow', 'new', 'dough', 'toe', 'nor', 'noble'],
  up: ['cup', 'pup', 'upper', 'hop', 'app', 'uh', 'pub', 'tub', 'cut', 'upon'],
  down: ['town', 'gown', 'noun', 'drown', 'crown', 'brown', 'dawn', 'done', 'downer', 'round'],
  left: ['lift', 'loft', 'lest', 'laughed', 'theft', 'deft', 'leftover', 'lend', 'felt', 'lead'],
  right: ['light', 'bright', 'white', 'bite', 'ride', 'fight', 'rate', 'night', 'wrote'],
  on: ['one', 'an', 'own', 'in', 'con', 'john', 'honor', 'odd', 'gone', 'bun'],
  off: ['of', 'cough', 'awful', 'often', 'officer', 'scoff', 'oft', 'offer', 'loft', 'calf'],
  stop: ['stopper', 'step', 'top', 'shop', 'stomp', 'drop', 'stock', 'stuff', 'spot', 'stoppage'],
  go: ['going', 'goat', 'gold', 'grow', 'slow', 'though', 'ago', 'goal', 'girl', 'gone'],
  start: ['star', 'smart', 'stare', 'heart', 'started', 'part'],
  dictation: ['dictator', 'dedication', 'addiction', 'station', 'edition', 'dictionary'],
  // the wake words of ../shared/data/wakewords (issue 7's negatives)
  alexa: ['alex', 'alexander', 'alaska', 'election', 'lexus', 'electra', 'relax'],
  computer: ['commuter', 'compute', 'computing', 'complete', 'compete', 'computers', 'composer'],
  jarvis: ['jar', 'travis', 'harvest', 'service', 'marvin', 'jarring', 'davis'],
  smart: ['smarter', 'start', 'mart', 'smash', 'art'],
  mirror: ['mirrors', 'near', 'miracle', 'error', 'nearer', 'mere'],
  snowboy: ['snowball', 'snow', 'cowboy', 'snowy', 'showboat', 'snowboard', 'know boy'],
  view: ['review', 'few', 'you', 'viewer', 'vue'],
  glass: ['grass', 'class', 'glasses', 'glad', 'gas', 'brass'],
};

/** Frequent English words (none of the ten Speech Commands keywords). */
export const COMMON_WORDS: string[] = `
the be to of and a in that have it for not with he as you do at this but his by from they we say
her she or will my all would there their what so about who get which me when make can like time
just him take people into year your good some could them see other than then look only come its
over think also back after use two how our work first well way even new want because any these
give day most us is was are been has had were said did having may should am being might must
shall very much many such more less little big small long short high low old young great same
different early late last next few large important public bad able open close water food house
home room door window table chair bed car road city country world school student teacher family
mother father child children friend man woman boy girl name life hand head eye face body heart
money book paper story word music song game team sport ball green blue red black white yellow
orange purple pink gray happy sad angry tired hungry cold hot warm cool fast quick easy hard soft
always never often sometimes today tomorrow morning evening night week month hour minute second
monday tuesday wednesday thursday friday saturday sunday january april june july august
october december three four five six seven eight nine ten eleven twelve twenty hundred thousand
zero cat dog bird fish horse cow tree flower grass garden river mountain ocean rain sun moon star
cloud weather light dark sound voice phone computer screen picture camera video message email
call read write listen speak talk walk run jump sit stand sleep eat drink cook clean wash buy sell
pay send bring carry find lose keep hold turn move play watch learn teach help need try ask answer
tell show begin finish wait stay leave follow change happen remember forget understand believe
house kitchen coffee tea bread butter cheese apple banana sugar salt pepper dinner lunch breakfast
doctor nurse patient hospital medicine office business market price number problem question
idea reason result system program report service party paper bottle glass plate spoon knife
forward backward visual marvin sheila wow tree happy bed bird cat dog house learn follow
`
  .trim()
  .split(/\s+/);

/** Sentences without command words, for babble and speech-like background. */
export const SENTENCES: string[] = [
  'the weather was pleasant for most of the afternoon',
  'she bought fresh bread and cheese at the market',
  'we will meet at the library after lunch',
  'the children played in the garden until dinner',
  'a small bird sat in the tree and sang',
  'please remember to bring your umbrella tomorrow',
  'the train arrives at the station every hour',
  'my brother works at the hospital as a nurse',
  'the report will be ready by the end of the week',
  'there is a new coffee shop across the street',
  'they walked along the river and talked about music',
  'the teacher asked the students to read the first chapter',
  'it takes about twenty minutes to drive into the city',
  'the cat slept in the sun by the window',
  'he painted the kitchen a pale shade of green',
  'our team played well but lost the final game',
  'the museum is closed every monday and at holidays',
  'she writes letters to her grandmother every month',
  'the price of apples has risen this year',
  'a warm wind blew across the empty field',
  'the meeting was moved to thursday morning',
  'i would like a cup of tea with milk and sugar',
  'the old bridge was built more than a hundred years ago',
  'they planted tomatoes and beans in the spring',
  'the doctor said the patient was feeling better',
  'many people visit the beach in the summer',
  'the computer needs a new battery and a faster disk',
  'we watched a film about the history of the city',
  'the bakery sells cakes pies and cookies',
  'he found his keys under the sofa cushion',
];

/** The words in `text`, lowercased. */
export function wordsOf(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^a-z']+/)
    .filter(Boolean);
}

/**
 * The `_unknown_` vocabulary for the given keywords: sound-alikes of each keyword word and each
 * single word of a multi-word keyword ("start dictation" → "start", "dictation"), then `common`.
 * Returns { similar, common }, both without any text equal to a keyword.
 */
export function unknownWordsFor(keywords: string[], common: string[] = COMMON_WORDS): { similar: string[]; common: string[] } {
  const banned = new Set(keywords.flatMap((k) => [wordsOf(k).join(' '), ...wordsOf(k).flatMap((w) => HOMOPHONES[w] ?? [])]));
  const similar: string[] = [];
  for (const k of keywords) {
    const words = wordsOf(k);
    if (words.length > 1) similar.push(...words);
    for (const w of words) similar.push(...(SOUND_ALIKES[w] ?? []));
  }
  const keep = (list: string[]) => [...new Set(list.map((w) => wordsOf(w).join(' ')))].filter((w) => w && !banned.has(w));
  const similarKept = keep(similar);
  const similarSet = new Set(similarKept);
  return { similar: similarKept, common: keep(common).filter((w) => !similarSet.has(w)) };
}

/** Sentences that contain no keyword (as a word sequence). */
export function sentencesWithout(keywords: string[], sentences: string[] = SENTENCES): string[] {
  const kws = keywords.map((k) => ` ${wordsOf(k).join(' ')} `);
  return sentences.filter((s) => !kws.some((k) => ` ${wordsOf(s).join(' ')} `.includes(k)));
}
