/**
 * `kws train --teacher DIR …`: knowledge distillation. Trained models of the same labels and
 * features (the teachers) read every training batch as the student does — the same augmented
 * audio — and the student also learns their average posteriors q, so every frame says how
 * confident an ensemble is, not only which classes the target allows:
 *
 *     L_distill = Σ_{b,t} w[b,t] · (−Σ_c q[b,t,c] · log p[b,t,c]) / Σ_{b,t} w[b,t]
 *     L = (1 − α) · L_target + α · L_distill
 *
 * with L_target the set cross-entropy of trainer.ts and α the distillation weight. An ensemble
 * of seeds is steadier than any one seed; distilling it puts that into one model of the
 * student's size. Each teacher reads the student's normalised features through its own
 * normalisation: x_t = (x_s · σ_s + μ_s − μ_t) / σ_t.
 */
import type * as tfTypes from '@tensorflow/tfjs';
import type { FeatureConfig, FeatureNormalization } from '../features/config';
import { loadTfjsModel } from '../model/tfjsFiles';
import { matchingModelConfig } from './initialWeights';

const TEACHER_OPTION = '--teacher';

interface Teacher {
  model: tfTypes.LayersModel;
  normalization: FeatureNormalization;
  /** x_t = x_s · scale + shift, per coefficient, once the student's normalisation is known. */
  scale?: tfTypes.Tensor1D;
  shift?: tfTypes.Tensor1D;
}

export class Teachers {
  private constructor(
    private readonly tf: typeof tfTypes,
    private readonly teachers: Teacher[],
  ) {}

  /**
   * Loads the teachers in `dirs`, each checked against this run's labels and features. Loading
   * builds layers, which draws initial weights: done before training seeds its draws, the
   * student's run is the same with teachers as without.
   */
  static async load(tf: typeof tfTypes, dirs: readonly string[], labels: readonly string[], features: FeatureConfig): Promise<Teachers> {
    const teachers: Teacher[] = [];
    for (const dir of dirs) {
      const { normalization } = matchingModelConfig(dir, labels, features, TEACHER_OPTION);
      const model = await loadTfjsModel(tf, dir);
      model.trainable = false; // its weights stay out of the student's optimizer
      teachers.push({ model, normalization });
    }
    return new Teachers(tf, teachers);
  }

  /** Sets the normalisation of the features the student reads (before posteriors). */
  readFrom(student: FeatureNormalization): void {
    for (const t of this.teachers) {
      const { scale, shift } = renormalization(student, t.normalization);
      t.scale?.dispose();
      t.shift?.dispose();
      t.scale = this.tf.tensor1d(scale);
      t.shift = this.tf.tensor1d(shift);
    }
  }

  /** q: the teachers' mean posteriors [B, T, C] for the student's features x [B, T, F]. */
  posteriors(x: tfTypes.Tensor3D): tfTypes.Tensor3D {
    const tf = this.tf;
    return tf.tidy(() => {
      const each = this.teachers.map((t) => {
        if (!t.scale || !t.shift) throw new Error('Teachers.readFrom must be called before posteriors');
        return t.model.predict(tf.add(tf.mul(x, t.scale), t.shift)) as tfTypes.Tensor3D;
      });
      return tf.div(tf.addN(each), each.length) as tfTypes.Tensor3D;
    });
  }

  dispose(): void {
    for (const t of this.teachers) {
      t.model.dispose();
      t.scale?.dispose();
      t.shift?.dispose();
    }
  }
}

/** The per-coefficient affine map from the student's normalised features to a teacher's. */
export function renormalization(student: FeatureNormalization, teacher: FeatureNormalization): { scale: number[]; shift: number[] } {
  const scale = student.std.map((s, j) => s / teacher.std[j]);
  const shift = student.mean.map((m, j) => (m - teacher.mean[j]) / teacher.std[j]);
  return { scale, shift };
}

/** −Σ_c q_c log p_c over the last axis: the cross-entropy of the student's p against soft targets q. */
export function softNll(tf: typeof tfTypes, q: tfTypes.Tensor, p: tfTypes.Tensor): tfTypes.Tensor {
  return tf.neg(tf.sum(tf.mul(q, tf.log(tf.add(p, 1e-7))), -1));
}
