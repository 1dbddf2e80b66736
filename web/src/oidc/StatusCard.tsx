import { InteractionCard } from './InteractionCard';

/** Something under way (loading the interaction, going back to the client), with a spinner. */
export function StatusCard({ text }: { text: string }) {
  return (
    <InteractionCard>
      <div className="msl-notice">
        <span className="msl-spinner" aria-hidden="true" />
        <p className="msl-notice-text" role="status" aria-live="polite">
          {text}
        </p>
      </div>
    </InteractionCard>
  );
}
