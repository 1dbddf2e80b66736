import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './page/App';
import './react/styles.css';
import './page/styles.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
