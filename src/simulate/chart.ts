import type { SimParams } from './policies.js';
import type { Timeline } from './run.js';
import type { Trace } from './trace.js';
export function renderChart(_t: Trace, _p: SimParams, _tl: Timeline): string { return '<svg xmlns="http://www.w3.org/2000/svg"/>'; }
