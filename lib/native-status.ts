/**
 * Whether the native addon is in use, and why not.
 * @module
 */
import { loadAddon, unavailableMessage } from './internal/native';

/** Status of the native addon in this process. */
export interface NativeStatus {
  /** The addon loaded. */
  available: boolean;
  /** OpenMP version macro of the build (e.g. 201511), when available. */
  openmp?: number;
  /** Processors OpenMP sees. */
  maxThreads?: number;
  /** Why it did not load, with how to fix it. */
  message?: string;
}

/** Loads the addon if needed and reports its status. */
export function nativeStatus(): NativeStatus {
  const { addon, reason } = loadAddon();
  if (!addon) return { available: false, message: unavailableMessage(reason) };
  const info = addon.info();
  return { available: true, openmp: info.openmp, maxThreads: info.maxThreads };
}
