import { createElement } from 'lwc';
import App from 'tk/app';

// The page's one root component; everything else is rendered by it.
document.body.prepend(createElement('tk-app', { is: App }));
