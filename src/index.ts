/** Public API of lmu-kws. */
export * from './errors';
export * from './audio/source';
export * from './features/config';
export * from './pipeline/events';
