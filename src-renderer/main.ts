// Entry of the status window: find the bridge (Electron preload or web mode) and mount the app.
import { mount } from 'svelte';
import App from './App.svelte';
import './app.css';
import { connectBridge } from './lib/connect';

const target = document.getElementById('app');
if (!target) throw new Error('no #app element');
mount(App, { target, props: { connection: connectBridge() } });
