// What the modules of the app share: the page's fixed elements and the app's state.
export const main = document.getElementById('main');
export const conn = document.getElementById('conn');
export const who = document.getElementById('who');
export const nav = document.getElementById('nav');
export const signoutButton = document.getElementById('signout');

export const state = {
  config: null,
  me: null,
  slots: new Map(), // id -> slot view
  index: null,
  morePages: 0, // pages shown after the first ("Show more")
  next: null, // the cursor after the last page shown, null when every slot is shown
  filter: { text: '', state: 'all' },
  layout: localStorage.getItem('mutexify.layout') || 'table', // or 'cards'
  sort: { by: 'name', desc: false },
  wait: null, // { slot, until, abort, location } while this tab waits in line
  watchGeneration: 0,
  watchAbort: null,
  current: null, // the route on screen
};
