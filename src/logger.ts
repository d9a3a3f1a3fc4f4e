/** Where log lines go; the engine routes them to the journal and the console. Plugins get it through plugins/api. */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
}
