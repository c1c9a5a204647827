// Choosing, uploading and attaching a poster (an offer's, a campaign's): the picked image shows at
// once, the upload's percentage while it goes (posters are large and phones are slow), then the
// mutation that attaches it, each failure in plain words.
import { useEffect, useState, type ChangeEvent } from 'react';
import { describeError } from '../errors';
import { useI18n, type MessageKey } from '../i18n';
import { MAX_POSTER_BYTES, POSTER_TYPES, uploadPoster } from '../upload';
import { Notice } from './feedback';
import { ActionOutcome, type ActionState } from './forms';
import { PosterImage, type Media } from './Poster';

type Phase = { step: 'idle' } | { step: 'uploading'; percent: number } | { step: 'attaching' } | { step: 'done' } | { step: 'failed'; message: string };

export function PosterUpload<Data>({
  poster,
  alt,
  action,
  attach,
}: {
  /** The poster shown now (null: none yet). */
  poster: Media | null;
  alt: string;
  /** The set…Poster mutation, whose outcome shows here. */
  action: ActionState<Data>;
  attach: (mediaId: string) => Promise<Data | null>;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const [phase, setPhase] = useState<Phase>({ step: 'idle' });
  const [preview, setPreview] = useState<string | null>(null);
  // The local preview stands in until the server's poster arrives with the refreshed page.
  useEffect(() => setPreview(null), [poster?.url]);
  // An object URL holds the picked file in memory until revoked: when replaced, cleared or unmounted.
  useEffect(() => (preview ? () => URL.revokeObjectURL(preview) : undefined), [preview]);
  const busy = phase.step === 'uploading' || phase.step === 'attaching';

  const fail = (key: MessageKey, params?: Record<string, string | number>) => {
    setPreview(null);
    setPhase({ step: 'failed', message: t(key, params) });
  };

  const pick = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    // Emptied, so that picking the same file again (after fixing the network) uploads it again.
    event.target.value = '';
    if (!file || busy) return;
    // Some phones leave the type empty: the server reads the content anyway.
    if (file.type && !(POSTER_TYPES as readonly string[]).includes(file.type)) return fail('poster.error.type');
    if (file.size > MAX_POSTER_BYTES) return fail('poster.error.tooLarge', { size: (file.size / 1024 / 1024).toFixed(1) });
    setPhase({ step: 'uploading', percent: 0 });
    // Shown at once from the file itself, without reading it into a data: URL.
    setPreview(URL.createObjectURL(file));
    const uploaded = await uploadPoster(file, (percent) => setPhase({ step: 'uploading', percent }));
    if ('error' in uploaded) {
      setPreview(null);
      const message = uploaded.tooLarge
        ? t('poster.error.tooLarge', { size: (file.size / 1024 / 1024).toFixed(1) })
        : describeError(uploaded.error, i18n, { 'BAD_USER_INPUT:file': 'poster.error.unreadable', FORBIDDEN: 'poster.error.forbidden' });
      return setPhase({ step: 'failed', message });
    }
    setPhase({ step: 'attaching' });
    if (await attach(uploaded.media.id)) setPhase({ step: 'done' });
    else {
      setPreview(null);
      setPhase({ step: 'idle' });
    }
  };

  return (
    <div className="poster-upload">
      {preview ? (
        <img className="poster preview" src={preview} alt={t('poster.preview')} />
      ) : poster ? (
        <PosterImage media={poster} size="display" alt={alt} />
      ) : (
        <p className="empty">{t('poster.none')}</p>
      )}
      {(phase.step === 'uploading' || phase.step === 'done') && (
        <UploadProgress percent={phase.step === 'done' ? 100 : phase.percent} label={phase.step === 'done' ? t('poster.uploaded') : t('poster.uploading')} />
      )}
      {phase.step === 'attaching' && <UploadProgress percent={100} label={t('poster.attaching')} />}
      {phase.step === 'failed' && <Notice kind="error">{phase.message}</Notice>}
      <ActionOutcome outcome={action.outcome} success={() => t('poster.saved')} />
      <label className={`button big file-pick${busy ? ' disabled' : ''}`}>
        <input type="file" accept={POSTER_TYPES.join(',')} onChange={(e) => void pick(e)} disabled={busy} />
        {poster ? t('poster.replace') : t('poster.choose')}
      </label>
      <p className="hint">{t('poster.hint')}</p>
    </div>
  );
}

function UploadProgress({ percent, label }: { percent: number; label: string }) {
  return (
    <div className="upload-progress" role="status">
      <progress max={100} value={percent} aria-label={label} />
      <span>
        {label} {percent}%
      </span>
    </div>
  );
}
