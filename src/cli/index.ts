#!/usr/bin/env node
// The CLI's entry: commands live in their own modules.
import { main } from './program.js'

process.exitCode = await main(process.argv)
