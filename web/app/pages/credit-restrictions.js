import { makeCreditPage } from '../credit-page.js';
export default makeCreditPage('restricted');
