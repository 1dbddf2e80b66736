import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { InteractionPage } from './InteractionPage';
import { interactionApi, interactionUid } from './oidc-api';
import '../react/styles.css';
import '../page/styles.css';
import './styles.css';

// The provider sends the browser to /oidc/interaction/:uid; the page's own origin is the
// server, whose interaction cookie only these same-origin calls carry.
const uid = interactionUid(location.pathname);
const api = uid === null ? null : interactionApi(location.origin, uid);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <InteractionPage api={api} />
  </StrictMode>,
);
