/**
 * Typed errors for user-facing failures. The CLI prints `message` as one line and exits
 * non-zero; library callers can switch on the class. A stack trace is never shown for these.
 */
export class KwsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** A file or stream that cannot be read as audio: names the file and what is wrong. */
export class AudioFormatError extends KwsError {
  constructor(
    readonly file: string,
    readonly problem: string,
  ) {
    super(`${file}: ${problem}`);
  }
}

/** The microphone / recorder process is missing, failed to start, or died. */
export class RecorderError extends KwsError {}

/** The recorder runs but finds no capture device at all: reopening it cannot help. */
export class NoMicrophoneError extends RecorderError {}

/** Bad options or configuration (LMU order, thresholds, model directory …). */
export class ConfigError extends KwsError {}

/** A model directory that is missing files or holds an unknown format. */
export class ModelError extends KwsError {}

/** A data folder for training/eval that cannot be used. */
export class DatasetError extends KwsError {}
