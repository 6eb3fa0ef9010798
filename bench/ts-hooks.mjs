// Lets `node --experimental-transform-types` run the TypeScript sources directly: the sources import siblings
// with `.js` specifiers (NodeNext style), which this maps to the `.ts` file when no `.js` file exists.
import { registerHooks } from 'node:module'

registerHooks({
  resolve(specifier, context, nextResolve) {
    try {
      return nextResolve(specifier, context)
    } catch (error) {
      if (/^\.{1,2}\//.test(specifier) && specifier.endsWith('.js'))
        return nextResolve(specifier.slice(0, -3) + '.ts', context)
      throw error
    }
  }
})
