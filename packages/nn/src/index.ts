// @tensorgrad/nn — public exports are added here as the package is built up.
export {};
