/**
 * Whether focus is nowhere: on `<body>`, where the browser puts it when React removes the
 * focused element (the button that replaced the view, say). Keyboard and screen reader
 * users would then start again from the top of the page, so the new view takes it.
 * Focus that is somewhere else is the user's, and stays.
 */
export function focusIsLost(): boolean {
  return document.activeElement === null || document.activeElement === document.body;
}
