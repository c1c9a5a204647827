// Quiet hours: a local-time window (e.g. 21:00-09:00 in Asia/Shanghai) when non-urgent messages wait.

export interface QuietHours {
  isQuiet(at: Date): boolean;
}

const minutes = (hhmm: string) => {
  const [h, m] = hhmm.split(':').map(Number);
  return h! * 60 + m!;
};

/** `spec` is "HH:MM-HH:MM" (may wrap midnight) or "off". */
export function quietHours(spec: string, timeZone: string): QuietHours {
  if (spec === 'off') return { isQuiet: () => false };
  const [start, end] = spec.split('-').map(minutes) as [number, number];
  const clock = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  return {
    isQuiet(at) {
      const parts = clock.formatToParts(at);
      const local = Number(parts.find((p) => p.type === 'hour')!.value) * 60 + Number(parts.find((p) => p.type === 'minute')!.value);
      return start <= end ? local >= start && local < end : local >= start || local < end;
    },
  };
}
