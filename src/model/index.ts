/** The data model every folder shares (plan items, outcomes, the run report): it imports nothing but the API's shapes. */
export * from './item.js'
export * from './numbers.js'
export * from './problem.js'
export * from './report.js'
export * from './text.js'
export * from './words.js'
