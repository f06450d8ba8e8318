/** The model card's parts that need no training run: credits, the side-by-side table, the reading of the curves. */
import { expect } from 'chai';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadModelConfig, KwsModelConfig } from '../src/model/kwsJson';
import { creditsFor } from '../src/data/credits';
import { dataRoot } from '../src/data/dataRoot';
import { fitReading, modelCard } from '../src/cards/modelCard';
import { loadRuntimeWeights } from '../src/model/runtimeFile';
import { macsPerFrame, stateFloats } from '../src/lmu/cost';

const shipped = loadModelConfig(path.resolve(__dirname, '..', 'models', 'default'));
const withTraining = (over: Record<string, unknown>): KwsModelConfig => ({ ...shipped, training: { ...shipped.training, ...over } });

describe('model card', () => {
  it('credits the shared real data sets a model used, and only those', () => {
    const root = '/data';
    expect(creditsFor(['/data/speech_commands', '/elsewhere/synth'], root)).to.have.length(1);
    expect(creditsFor(['/data/speech_commands'], root)[0]).to.match(/^Speech Commands v0\.02 — P\. Warden.*2018.*CC BY 4\.0$/);
    expect(creditsFor(['/data/wakewords/alexa', '/data/librispeech'], root).map((c) => c.split(' ')[0])).to.deep.equal([
      'LibriSpeech',
      'Picovoice',
    ]);
    expect(creditsFor(['/elsewhere/data/speech_commands', '/data'], root)).to.deep.equal([]);

    const real = modelCard(
      withTraining({ data: path.join(dataRoot(), 'speech_commands'), negatives: [path.join(dataRoot(), 'librispeech')] }),
    );
    expect(real).to.include('Credits — this model was trained on:');
    expect(real).to.include('- Speech Commands v0.02');
    expect(real).to.include('- LibriSpeech');
    const synthesizedOnly = {
      data: '/elsewhere/synth-commands',
      extraData: [],
      negatives: ['/elsewhere/synth-talk'],
      noise: [],
      speech: [],
    };
    // the shipped card's own text (kws.json card) names its data sets: a card without it
    expect(modelCard({ ...withTraining(synthesizedOnly), card: undefined })).to.not.include('Credits');
  });

  it('shows train | validation | test side by side, with "not measured yet" until kws eval ran', () => {
    const history = [
      {
        epoch: 1,
        loss: 1.2,
        trainAccuracy: 0.91,
        trainLoss: 0.3,
        trainClips: 1000,
        valAccuracy: 0.62,
        valLoss: 0.9,
        learningRate: 1e-3,
        seconds: 80,
      },
    ];
    const config: KwsModelConfig = { ...withTraining({ history, bestEpoch: 1 }), metrics: { ...shipped.metrics, eval: undefined } };
    const card = modelCard(config);
    expect(card).to.match(/\| clip accuracy \| 91\.0 % \| 62\.0 % \| not measured yet: run `kws eval/);
    expect(card).to.include('| clip loss | 0.300 | 0.900 | — |');
    expect(card).to.include('Overfitting: train accuracy is 29.0 points above validation');
    const measured = modelCard({
      ...config,
      metrics: {
        ...config.metrics,
        eval: {
          test: {
            data: '/x',
            split: 'test',
            clips: 200,
            accuracy: 0.58,
            perClass: {},
            perKeyword: {},
            thresholds: {},
            frr: 0.4,
            faPerHour: 1,
            streamHours: 1,
            quietFiring: {},
            confusion: { labels: [], matrix: [] },
            verdict: { split: 'test', usable: true, problems: [] },
          },
        },
      },
    });
    expect(measured).to.include('| clip accuracy | 91.0 % | 62.0 % | 58.0 % |');
    expect(measured).to.not.include('not measured yet');
  });

  it('shows the stack depth, the MACs per frame and the state carried between frames (older kws.json: from runtime.json)', () => {
    const shippedDir = path.resolve(__dirname, '..', 'models', 'default');
    const weights = loadRuntimeWeights(path.join(shippedDir, 'runtime.json'));
    // a kws.json written before the cost was recorded: loadModelConfig counts it from runtime.json
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kws-older-config-'));
    try {
      for (const f of ['runtime.json', 'model.json', 'weights.bin']) fs.copyFileSync(path.join(shippedDir, f), path.join(dir, f));
      const { macsPerFrame: _m, stateFloats: _s, ...older } = JSON.parse(fs.readFileSync(path.join(shippedDir, 'kws.json'), 'utf8'));
      fs.writeFileSync(path.join(dir, 'kws.json'), JSON.stringify(older));
      const read = loadModelConfig(dir);
      expect([read.macsPerFrame, read.stateFloats]).to.deep.equal([macsPerFrame(weights), stateFloats(weights)]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    expect([shipped.macsPerFrame, shipped.stateFloats]).to.deep.equal([macsPerFrame(weights), stateFloats(weights)]);
    const card = modelCard(shipped);
    expect(card).to.match(/^- Network: LMU \(order /m);
    expect(card).to.include(
      `per frame **${shipped.macsPerFrame}** multiply-accumulates; state carried from frame to frame: **${shipped.stateFloats} floats**`,
    );
    const config = shipped.training!.config!;
    const stacked = modelCard(withTraining({ config: { ...config, model: { ...config.model, layers: 3 } } }));
    expect(stacked).to.match(/^- Network: 3 stacked LMU layers, each reading the one below \(each order /m);
  });

  it('reads the learning curves plainly', () => {
    expect(fitReading(0.5, 0.45)).to.match(/^Underfitting/);
    expect(fitReading(0.95, 0.7)).to.match(/^Overfitting/);
    expect(fitReading(0.9, 0.85)).to.match(/no sign of overfitting/);
    expect(fitReading(undefined, 0.8)).to.equal(null);
  });
});
