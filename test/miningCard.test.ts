/** The model card's hard-negative mining table: one row per round, from kws.json metrics.mining. */
import { expect } from 'chai';
import { modelCard } from '../src/cards/modelCard';
import { MINING_HEADING } from '../src/cards/miningCard';
import { chooseRound } from '../src/mine/chooseRound';
import { KwsModelConfig } from '../src/model/kwsJson';
import { MiningRound } from '../src/model/records';
import { DEFAULT_FEATURE_CONFIG } from '../src/features/config';
import { DEFAULT_SMOOTHER_SETTINGS } from '../src/model/smootherConfig';

const round = (r: number, mined: number, fa: number, bench: number, miss: number | null, validationFrr?: number): MiningRound => ({
  round: r,
  hardNegatives: r * 10,
  validationFrr,
  minedWindows: mined,
  trainingFaPerHour: fa,
  benchmark: [
    { snrDb: 10, faPerHour: bench, missAt1FaPerHour: miss },
    { snrDb: 20, faPerHour: bench / 2, missAt1FaPerHour: null },
  ],
});

describe('model card: hard-negative mining rounds', () => {
  const config = {
    name: 'm',
    labels: ['yes', '_unknown_', '_silence_'],
    keywords: ['yes'],
    features: { ...DEFAULT_FEATURE_CONFIG },
    normalization: { mean: [], std: [] },
    smoother: { ...DEFAULT_SMOOTHER_SETTINGS, thresholds: { yes: 0.5 } },
    params: 1,
    bytes: 4,
    macsPerFrame: 1,
    stateFloats: 1,
  } as unknown as KwsModelConfig;

  it('shows every round with its mined windows, FA/h on training material and the benchmark', () => {
    const mining = {
      rounds: [round(0, 10, 96.5, 40, 0.25), round(1, 4, 12.25, 8, 0.3)],
      hours: 2,
      thresholdScale: 0.5,
      weight: 2,
      sources: ['data/wakeword-negatives'],
      benchmarkHours: 10,
    };
    const card = modelCard({ ...config, metrics: { mining } });
    expect(card).to.include(`## ${MINING_HEADING}`);
    expect(card).to.include('| 0 | 0 | 10 | 96.5 | n/a | 40.0 | 25.0 % | 20.0 | n/a |');
    expect(card).to.include('| **1** (shipped) | 10 | 4 | 12.3 | n/a | 8.0 | 30.0 % | 4.0 | n/a |');
    expect(card).to.match(/shipped model is round 1's: the last\./); // a record from before the choice
    expect(modelCard(config)).not.to.include(MINING_HEADING);
  });

  it('ships the round validation prefers, whichever it is, and says so', () => {
    const rounds = [round(0, 10, 96.5, 40, 0.25, 0.2), round(1, 4, 12.25, 8, 0.3, 0.26), round(2, 2, 3, 5, 0.22, 0.2)];
    expect(chooseRound(rounds)).to.equal(0); // a tie keeps the earlier round
    expect(chooseRound([rounds[1], { ...rounds[2], validationFrr: 0.19 }])).to.equal(2);
    expect(chooseRound([{ ...rounds[0], validationFrr: null }, rounds[1]])).to.equal(1); // a round without the figure never wins
    expect(() => chooseRound([])).to.throw(/no mining rounds/);
    const mining = { rounds, hours: 2, thresholdScale: 0.5, weight: 2, sources: ['n'], benchmarkHours: 10, shipped: chooseRound(rounds) };
    const card = modelCard({ ...config, metrics: { mining } });
    expect(card).to.include('| **0** (shipped) | 0 | 10 | 96.5 | 20.0 % | 40.0 | 25.0 % | 20.0 | n/a |');
    expect(card).to.include('| 1 | 10 | 4 | 12.3 | 26.0 % |');
    expect(card).to.match(/shipped model is round 0's: the one with the lowest false-reject rate on its validation stream/);
  });
});
