// Writing whole buffers to file handles (FileHandle.write may write less than asked).
import type { FileHandle } from 'node:fs/promises';

export async function writeAll(handle: FileHandle, bytes: Uint8Array): Promise<void> {
  let at = 0;
  while (at < bytes.length) {
    const { bytesWritten } = await handle.write(bytes, at, bytes.length - at);
    at += bytesWritten;
  }
}
