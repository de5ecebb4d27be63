import { cookieRoundTripGroup, signGroup } from './cookie-groups';
import {
  formatMicro,
  runGroups,
  type MicroGroup,
  type MicroRow,
  type MicroSettings,
} from './harness';
import { changeDetectionGroup, idGroup } from './server-groups';
import { payloadGroup, storeKeyGroup } from './payload-group';
import { requestPathGroup } from './request-path-group';
import { filePurgeGroup } from './file-purge-group';
import { memoryScaleGroups } from './store-scale-group';

/** Every micro-benchmark group, in report order. */
export async function microGroups(): Promise<MicroGroup[]> {
  return [
    signGroup(),
    idGroup(),
    storeKeyGroup(),
    cookieRoundTripGroup(),
    payloadGroup(),
    changeDetectionGroup(),
    await requestPathGroup(),
    ...(await memoryScaleGroups()),
    await filePurgeGroup(),
  ];
}

export interface MicroReport {
  rows: MicroRow[];
  markdown: string;
}

/** Runs the whole micro suite and renders it (table plus one note per group). */
export async function runMicroSuite(settings: MicroSettings): Promise<MicroReport> {
  const groups = await microGroups();
  const rows = await runGroups(groups, settings);
  const notes = groups
    .filter((g) => g.note !== undefined)
    .map((g) => `- ${g.title}: ${g.note}`)
    .join('\n');
  return { rows, markdown: `${formatMicro(rows)}\n\n${notes}` };
}
