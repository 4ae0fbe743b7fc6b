// The Luxon date adapter registers itself with Chart.js on import and exports nothing we use.
declare module 'chartjs-adapter-luxon';
