// Whether the native addon loaded, for tests that need it: they skip (with this reason) instead of
// failing when the addon is not built, so the TypeScript fallback is still tested on its own.
// CI sets SPEARSIM_REQUIRE_NATIVE=1, where test/config.test.ts fails if the addon is missing.
import { loadAddon, type NativeAddon } from '../../lib/internal/native';

/** The loaded addon, or null. */
export const nativeAddon: NativeAddon | null = loadAddon().addon;
/** True when the addon loaded. */
export const hasNative = nativeAddon !== null;
/** Why native tests are skipped (for ctx.skip / messages). */
export const noNativeReason = `the native addon is not available (${loadAddon().reason ?? 'not built'}; npm run build:native)`;
/** The engines to compare: native and the fallback, or only the fallback without the addon. */
export const ENGINES: boolean[] = hasNative ? [true, false] : [false];
