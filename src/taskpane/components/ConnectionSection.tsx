import { ConnectedSummary } from './ConnectedSummary';
import { ConnectionForm } from './ConnectionForm';
import { useConnection } from './ConnectionProvider';

/** The Sign-in section's content: the form until connected, then the connected summary. */
export function ConnectionSection() {
  const { status } = useConnection();
  switch (status.kind) {
    case 'connected':
      return <ConnectedSummary status={status} />;
    case 'connecting':
    case 'removing':
      return <ConnectionForm busy={status} />;
    case 'signedOut':
      return <ConnectionForm busy={null} />;
  }
}
