/**
 * Errors of the Toxiproxy HTTP API, with the messages and status codes of Toxiproxy 2.12, so clients that match on
 * them (toxiproxy-node-client, the Go client, toxiproxy-cli) behave the same. The body is `{"error": ..., "status": N}`.
 */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** `bad request body: <detail>`, as Toxiproxy joins a cause to its base error. */
  static join(base: ApiError, detail: string): ApiError {
    return new ApiError(`${base.message}: ${detail}`, base.status);
  }

  toJSON(): { error: string; status: number } {
    return { error: this.message, status: this.status };
  }
}

export const ErrBadRequestBody = new ApiError('bad request body', 400);
export const ErrMissingField = new ApiError('missing required field', 400);
export const ErrProxyNotFound = new ApiError('proxy not found', 404);
export const ErrProxyAlreadyExists = new ApiError('proxy already exists', 409);
export const ErrInvalidStream = new ApiError('stream was invalid, can be either upstream or downstream', 400);
export const ErrInvalidToxicType = new ApiError('invalid toxic type', 400);
export const ErrToxicAlreadyExists = new ApiError('toxic already exists', 409);
export const ErrToxicNotFound = new ApiError('toxic not found', 404);
