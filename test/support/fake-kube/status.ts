/** metav1.Status failures as the API server writes them; kubectl and client-node print `message`. */
export class StatusError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }

  toJSON(): object {
    return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: this.message, reason: this.reason, details: this.details, code: this.code };
  }
}

export const notFound = (resource: string, group: string, name: string) =>
  new StatusError(404, 'NotFound', `${resource}${group ? `.${group}` : ''} "${name}" not found`, { name, group, kind: resource });

export const alreadyExists = (resource: string, group: string, name: string) =>
  new StatusError(409, 'AlreadyExists', `${resource}${group ? `.${group}` : ''} "${name}" already exists`, { name, group, kind: resource });

export const conflict = (resource: string, group: string, name: string) =>
  new StatusError(409, 'Conflict', `Operation cannot be fulfilled on ${resource}${group ? `.${group}` : ''} "${name}": the object has been modified; please apply your changes to the latest version and try again`, { name, group, kind: resource });

export const invalid = (kind: string, name: string, field: string, message: string) =>
  new StatusError(422, 'Invalid', `${kind} "${name}" is invalid: ${field}: ${message}`, { name, kind, causes: [{ reason: 'FieldValueInvalid', message, field }] });

export const forbidden = (user: string, verb: string, resource: string, group: string, namespace: string | null) =>
  new StatusError(
    403,
    'Forbidden',
    `${resource}${group ? `.${group}` : ''} is forbidden: User "${user}" cannot ${verb} resource "${resource}" in API group "${group}"${namespace ? ` in the namespace "${namespace}"` : ' at the cluster scope'}`,
    { kind: resource, group },
  );

export function successStatus(code: number, details: Record<string, unknown> = {}): object {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details, code };
}
