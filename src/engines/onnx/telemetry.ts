// ONNX Runtime's Linux build carries Microsoft's 1DS telemetry client, whose initialisation leaves an empty
// $TMPDIR/mat-debug-<pid>.log (and a .ses state file) behind every process that opens a session, on any
// x64 CPU (not only AMX ones); TMPDIR defaults to /tmp.
// ORT reads ORT_DISABLE_TELEMETRY when its environment is created (the first session), so setting it before
// then keeps /tmp clean; a value the user set is left alone.

export const ORT_TELEMETRY_VARIABLE = 'ORT_DISABLE_TELEMETRY';

/** Turns ONNX Runtime's telemetry off for this process unless the user chose; call before the first session. */
export function disableOrtTelemetry(env: NodeJS.ProcessEnv = process.env): void {
  if (env[ORT_TELEMETRY_VARIABLE] === undefined) env[ORT_TELEMETRY_VARIABLE] = '1';
}
