/**
 * What an error code means, for the few codes whose message is built away from where the code is raised (the
 * generator cannot read it there). A test fails when one of these names a code that src/ no longer raises.
 */
export const builtElsewhere: Readonly<Record<string, string>> = {
  E_INVALID: 'an input file has problems, none of them with a code of its own (a fallback; each problem is printed)',
  E_PERCENT: 'a percentage that is not one: write it with a % sign (`99%`, `0.5%`), between 0% and 100%; a bare number is refused',
  E_SELECTION: 'which victims a fault chooses, written wrong: `select:` takes `one`, `all`, a count (`3`) or a percentage (`"30%"`)',
  E_RENAMED_KEY: 'a key the format renamed: the message names the key to write instead',
  E_COMMAND_FAILED: 'a `command` action exited with a code, or printed output, other than its `expect` allows',
};
