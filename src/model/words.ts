/** `1 URL`, `2 URLs`: every count the gate words goes through this. */
export const plural = (n: number, word: string, many = `${word}s`): string => `${n} ${n === 1 ? word : many}`
