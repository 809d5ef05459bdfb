import { FluentProvider, webLightTheme } from '@fluentui/react-components';
import { I18nextProvider } from 'react-i18next';
import type { PaneView } from '../sections';
import { ServicesProvider } from '../services';
import type { PaneStart } from '../startPane';
import { AppFrame } from './AppFrame';
import { ConnectionProvider } from './ConnectionProvider';
import { StartupProblem } from './StartupProblem';

/** The top of the React tree: theme, translations, services, and the frame or a startup problem. */
export function PaneRoot(props: { start: PaneStart; view: PaneView }) {
  const { start } = props;
  const t = start.i18n.t;
  return (
    <FluentProvider theme={webLightTheme}>
      <I18nextProvider i18n={start.i18n}>
        {start.kind === 'ready' && (
          <ServicesProvider
            services={{
              host: start.host,
              config: start.config,
              connection: start.connection,
              startSync: start.startSync,
              syncLoop: start.syncLoop,
              previewSync: start.previewSync,
              status: start.status,
              preferences: start.preferences,
              item: start.item,
            }}
          >
            <ConnectionProvider view={props.view}>
              <AppFrame view={props.view} />
            </ConnectionProvider>
          </ServicesProvider>
        )}
        {start.kind === 'config-error' && (
          <StartupProblem
            title={t('config.invalidTitle')}
            body={t('config.invalidBody', { details: start.details })}
          />
        )}
        {start.kind === 'no-host' && (
          <StartupProblem title={t('config.noHostTitle')} body={t('config.noHostBody')} />
        )}
      </I18nextProvider>
    </FluentProvider>
  );
}
