import { useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Preferences } from '../preferences/preferences';
import {
  checkDraft,
  toDraft,
  type DraftCheck,
  type PreferencesDraft,
} from '../preferences/preferencesDraft';
import { useServices } from '../services';

/** Saving, as one union: the form shows at most one outcome at a time. */
export type SaveState =
  | { readonly kind: 'idle' }
  | { readonly kind: 'saving' }
  | { readonly kind: 'saved' }
  | { readonly kind: 'failed'; readonly error: unknown };

export interface PreferencesForm {
  readonly draft: PreferencesDraft;
  readonly check: DraftCheck;
  readonly save: SaveState;
  /** Replaces part of the draft; the functional form sees the latest draft. */
  update(change: (draft: PreferencesDraft) => PreferencesDraft): void;
  submit(): Promise<void>;
}

/** The Preferences form: starts from what is saved, checks every change, saves through the port. */
export function usePreferencesForm(): PreferencesForm {
  const { preferences } = useServices();
  const { i18n } = useTranslation();
  const [draft, setDraft] = useState<PreferencesDraft>(() =>
    toDraft(preferences.load(i18n.resolvedLanguage ?? i18n.language)),
  );
  const [save, setSave] = useState<SaveState>({ kind: 'idle' });
  const check = useMemo(() => checkDraft(draft), [draft]);

  const update = useCallback((change: (draft: PreferencesDraft) => PreferencesDraft) => {
    setDraft(change);
    setSave((s) => (s.kind === 'saving' ? s : { kind: 'idle' }));
  }, []);

  const submit = useCallback(async () => {
    if (check.kind !== 'valid' || save.kind === 'saving') return;
    const next: Preferences = check.preferences;
    setSave({ kind: 'saving' });
    try {
      await preferences.save(next);
      // SPEC L1: the chosen language applies at once.
      if (next.language !== i18n.language) await i18n.changeLanguage(next.language);
      setSave({ kind: 'saved' });
    } catch (error) {
      setSave({ kind: 'failed', error });
    }
  }, [check, save.kind, preferences, i18n]);

  return { draft, check, save, update, submit };
}
