import type { ReactNode } from 'react';

/** The component's card (react/styles.css), for the page's views that are not a code. */
export function InteractionCard({ children }: { children: ReactNode }) {
  return (
    <div className="msl">
      <section className="msl-card">{children}</section>
    </div>
  );
}
