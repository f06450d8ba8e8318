/**
 * The streaming form of any model's runtime weights: the LMU's StreamingClassifier or a rival's.
 * The pipeline, evaluation and benchmarks make classifiers only through here, so a rival model
 * runs wherever the LMU does.
 */
import { StreamingClassifier } from '../lmu/runtime';
import { DsCnnClassifier } from './dscnn';
import { GruClassifier } from './gru';
import { LstmClassifier } from './lstm';
import { StreamingModel } from './streamingRival';
import { ClassifierWeights } from './weights';

export function streamingClassifier(w: ClassifierWeights): StreamingModel {
  if (!('architecture' in w)) return new StreamingClassifier(w);
  switch (w.architecture) {
    case 'gru':
      return new GruClassifier(w);
    case 'lstm':
      return new LstmClassifier(w);
    case 'dscnn':
      return new DsCnnClassifier(w);
  }
}
