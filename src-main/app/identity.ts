// Who the app is, in one place and without importing Electron, so that tests and packaging checks
// can read it: the appId of electron-builder.yml must equal the AppUserModelID (Windows shows
// notifications as "electron.app.Name", or not at all, otherwise).
export const APP_USER_MODEL_ID = 'app.orderbell.desktop';
export const PRODUCT_NAME = 'Orderbell';

/** The custom protocol the window is loaded from (never file://). */
export const APP_SCHEME = 'app';
export const APP_HOST = 'orderbell';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;
