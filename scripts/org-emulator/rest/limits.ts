import { ApiContext } from '../context';
import { Reply } from '../http/io';
import { RouteRequest } from '../http/router';

/** Default DailyApiRequests of a Developer Edition org ("API Request Limits and Allocations"). */
export const DEFAULT_DAILY_API_REQUESTS = 15000;

/** GET /limits: the org's allocations, `{Max, Remaining}` per limit (REST API "Limits"). */
export function limitsRoute(r: RouteRequest<ApiContext>): Reply {
  const org = r.ctx.emu.org;
  const max = org.faults.apiRequestLimit ?? DEFAULT_DAILY_API_REQUESTS;
  const queryJobs = r.ctx.emu.queryJobs.all().length;
  const limit = (Max: number, used: number): { Max: number; Remaining: number } => ({
    Max,
    Remaining: Math.max(0, Max - used),
  });
  return {
    status: 200,
    body: {
      DailyApiRequests: limit(max, org.dailyApiRequests),
      DailyBulkApiBatches: limit(15000, r.ctx.emu.ingestJobs.all().length),
      DailyBulkV2QueryJobs: limit(10000, queryJobs),
      DailyBulkV2QueryFileStorageMB: limit(976562, 0),
      DataStorageMB: limit(5, 0),
      FileStorageMB: limit(20, 0),
    },
  };
}
