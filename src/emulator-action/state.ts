/** What the main step hands the post step (the runner passes saved state back as STATE_<name> variables). */
export const State = {
  IsPost: 'isPost',
  Pid: 'pid',
  LogFile: 'logFile'
} as const
