/** The merchant dashboard at /dashboard: the app shell (`<vn-dashboard>` in the page) and its style. */
import './dashboard.css';
import './app.js';
