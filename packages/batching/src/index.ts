export { Batcher, type BatchOutcome, type BatcherOptions } from "./batcher.js";
