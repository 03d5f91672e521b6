import { useEffect, useRef } from 'react';
import { startIdleTimer, type IdleTimer } from './idleLock';

/** What counts as someone at the keyboard. `scroll` does not bubble: listened to in the capture phase. */
const ACTIVITY_EVENTS = ['keydown', 'pointerdown', 'pointermove', 'wheel', 'touchstart', 'scroll'] as const;

/**
 * Locks after `minutes` without input while `active` (someone is signed in). A new `minutes` applies at once,
 * counted from the last input.
 */
export function useIdleLock(active: boolean, minutes: number, onIdle: () => void): void {
  const onIdleRef = useRef(onIdle);
  const timerRef = useRef<IdleTimer | null>(null);
  const minutesRef = useRef(minutes);
  useEffect(() => {
    onIdleRef.current = onIdle;
  }, [onIdle]);

  useEffect(() => {
    if (!active) return;
    const timer = startIdleTimer({ timeoutMs: minutesRef.current * 60_000, onIdle: () => onIdleRef.current() });
    timerRef.current = timer;
    const activity = () => timer.activity();
    for (const event of ACTIVITY_EVENTS) document.addEventListener(event, activity, { capture: true, passive: true });
    return () => {
      timer.stop();
      timerRef.current = null;
      for (const event of ACTIVITY_EVENTS) document.removeEventListener(event, activity, { capture: true });
    };
  }, [active]);

  useEffect(() => {
    minutesRef.current = minutes;
    timerRef.current?.setTimeoutMs(minutes * 60_000);
  }, [minutes]);
}
