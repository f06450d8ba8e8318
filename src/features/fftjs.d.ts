/** Minimal typings for fft.js 4 (indutny): radix-4 FFT over interleaved [re, im] arrays. */
declare module 'fft.js' {
  type Numbers = number[] | Float64Array | Float32Array;
  class FFT {
    constructor(size: number);
    readonly size: number;
    createComplexArray(): number[];
    /** Transforms real `data` (length size) into `out` (length 2·size); only bins 0 … size/2 are filled. */
    realTransform(out: Numbers, data: Numbers): void;
    completeSpectrum(spectrum: Numbers): void;
    /** Complex forward FFT of interleaved `data` into `out` (both length 2·size). */
    transform(out: Numbers, data: Numbers): void;
    /** Complex inverse FFT, scaled by 1/size. */
    inverseTransform(out: Numbers, data: Numbers): void;
    toComplexArray(input: Numbers, storage?: Numbers): number[];
    fromComplexArray(complex: Numbers, storage?: Numbers): number[];
  }
  export = FFT;
}
