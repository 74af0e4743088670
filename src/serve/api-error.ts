// OpenAI-style error replies: {"error": {"message", "type", "param", "code"}} with an HTTP status.

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code: string | null = null,
    readonly param: string | null = null,
  ) {
    super(message);
  }

  /** OpenAI's error types by status. */
  get type(): string {
    if (this.status === 401) return 'authentication_error';
    if (this.status === 404 && this.code === 'model_not_found') return 'invalid_request_error';
    if (this.status >= 500) return 'server_error';
    return 'invalid_request_error';
  }

  body(): { error: { message: string; type: string; param: string | null; code: string | null } } {
    return { error: { message: this.message, type: this.type, param: this.param, code: this.code } };
  }
}

export const badRequest = (message: string, param: string | null = null, code: string | null = null): ApiError => new ApiError(400, message, code, param);
