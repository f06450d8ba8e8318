/** The slice of node-record-lpcm16 (untyped JS) that microphone.ts uses. */
declare module 'node-record-lpcm16' {
  import { ChildProcess } from 'child_process';
  import { Readable } from 'stream';
  interface RecordOptions {
    sampleRate?: number;
    channels?: number;
    recorder?: string;
    device?: string;
    audioType?: string;
  }
  interface Recording {
    process: ChildProcess;
    stream(): Readable;
    stop(): void;
  }
  export function record(options?: RecordOptions): Recording;
}
